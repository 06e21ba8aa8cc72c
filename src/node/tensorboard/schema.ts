/**
 * The few TensorBoard protocol buffer messages we write and read, as a protobufjs JSON descriptor
 * (kept in a .ts module so that it works from src/ and from the compiled dist/ alike). Field numbers
 * are those of TensorFlow's public `tensorflow/core/util/event.proto` (Event) and
 * `tensorflow/core/framework/summary.proto` (Summary, Summary.Value, Summary.Image, HistogramProto);
 * every other field and message is left out, and protobufjs skips them when decoding files written
 * by other tools. Field names are camelCase here; only the numbers reach the wire. Isomorphic.
 */
import protobuf from "protobufjs/light.js";

/** Version string of the first event of every file; TensorBoard reads files that start with it. */
export const FILE_VERSION = "brain.Event:2";

/** `tensorflow.HistogramProto`: bucket `i` counts values in [bucketLimit[i-1], bucketLimit[i]). */
export interface HistogramProto {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/** `tensorflow.Summary.Image`: an encoded (PNG) image; colorspace 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
export interface SummaryImage {
  height: number;
  width: number;
  colorspace: number;
  encodedImageString: Uint8Array;
}

/** `tensorflow.Summary.Value`: one tagged value; exactly one of the optional fields is set. */
export interface SummaryValue {
  tag: string;
  /** Stored as a 32-bit float. */
  simpleValue?: number;
  image?: SummaryImage;
  histo?: HistogramProto;
}

/** `tensorflow.Event`: `fileVersion` (first event of a file) or `summary`. */
export interface TbEvent {
  /** Seconds since the Unix epoch. */
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: {value: SummaryValue[]};
}

const packedDouble = (id: number) => ({rule: "repeated", type: "double", id, options: {packed: true}});

const DESCRIPTOR = {
  nested: {
    tensorflow: {
      nested: {
        Event: {
          oneofs: {what: {oneof: ["fileVersion", "summary"]}},
          fields: {
            wallTime: {type: "double", id: 1},
            step: {type: "int64", id: 2},
            fileVersion: {type: "string", id: 3},
            summary: {type: "Summary", id: 5}
          }
        },
        Summary: {
          fields: {value: {rule: "repeated", type: "Value", id: 1}},
          nested: {
            Image: {
              fields: {
                height: {type: "int32", id: 1},
                width: {type: "int32", id: 2},
                colorspace: {type: "int32", id: 3},
                encodedImageString: {type: "bytes", id: 4}
              }
            },
            Value: {
              oneofs: {value: {oneof: ["simpleValue", "image", "histo"]}},
              fields: {
                tag: {type: "string", id: 1},
                simpleValue: {type: "float", id: 2},
                image: {type: "Image", id: 4},
                histo: {type: "HistogramProto", id: 5}
              }
            }
          }
        },
        HistogramProto: {
          fields: {
            min: {type: "double", id: 1},
            max: {type: "double", id: 2},
            num: {type: "double", id: 3},
            sum: {type: "double", id: 4},
            sumSquares: {type: "double", id: 5},
            bucketLimit: packedDouble(6),
            bucket: packedDouble(7)
          }
        }
      }
    }
  }
};

let eventType: protobuf.Type | undefined;

function getEventType(): protobuf.Type {
  eventType ??= protobuf.Root.fromJSON(DESCRIPTOR).lookupType("tensorflow.Event");
  return eventType;
}

/** Serialises an event to protobuf bytes. */
export function encodeEvent(event: TbEvent): Uint8Array {
  const type = getEventType();
  return type.encode(type.fromObject(event)).finish();
}

/** Parses protobuf bytes into an event; throws on malformed bytes. */
export function decodeEvent(bytes: Uint8Array): TbEvent {
  const type = getEventType();
  const object = type.toObject(type.decode(bytes), {longs: Number, defaults: true}) as Partial<TbEvent>;
  const event: TbEvent = {wallTime: object.wallTime ?? 0, step: object.step ?? 0};
  if (object.fileVersion !== undefined) event.fileVersion = object.fileVersion;
  if (object.summary !== undefined) event.summary = {value: object.summary.value ?? []};
  return event;
}
