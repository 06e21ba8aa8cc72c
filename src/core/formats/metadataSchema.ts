/**
 * The schema of a model's `metadata.json` (validated with zod when it is read), so a damaged file
 * is refused with the name of the wrong field instead of failing later inside classify, evaluate,
 * calibrate or export. Fields other than the ones checked here are kept as they are; objects
 * accept extra keys, so later versions may add fields. Out-of-distribution statistics have their
 * own file (./oodStats.ts); an `ood` object left by older versions is ignored. Isomorphic.
 */
import {z} from "zod";

export const metadataSchema = z
  .object({
    classNames: z
      .array(z.string().min(1).max(200))
      .min(2)
      .max(10_000)
      .refine((names) => new Set(names).size === names.length, "has a class name twice"),
    input: z
      .object({
        shape: z.array(z.number().int().positive()).length(3),
        scale: z.string(),
        background: z.string()
      })
      .loose()
      .optional(),
    training: z.record(z.string(), z.unknown()).optional(),
    data: z.record(z.string(), z.string()).optional(),
    metrics: z.record(z.string(), z.unknown()).optional()
  })
  .loose();

/**
 * Validates parsed metadata; returns it or one line naming the first wrong field, e.g.
 * `field "input.shape" is wrong: expected array, received null`.
 */
export function parseMetadata(value: unknown): {metadata: z.infer<typeof metadataSchema>} | {problem: string} {
  const result = metadataSchema.safeParse(value);
  if (result.success) return {metadata: result.data};
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join(".");
  const message = issue.message.replace(/^Invalid input: /, "");
  return {problem: field ? `field "${field}" ${message.startsWith("has ") ? "" : "is wrong: "}${message}` : message};
}
