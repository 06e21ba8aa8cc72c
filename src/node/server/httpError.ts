/** An HTTP failure with a status code, for the server. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    message: string,
    readonly statusCode: number
  ) {
    super(message);
  }
}
