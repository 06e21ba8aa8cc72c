/**
 * The schema of a model's `metadata.json` (validated with zod when it is read), so a damaged file
 * is refused with the name of the wrong field instead of failing later inside classify, evaluate,
 * calibrate or export. Fields other than the ones checked here are kept as they are; objects
 * accept extra keys, so later versions may add fields (extend {@link oodStatsSchema} for new
 * out-of-distribution statistics). Isomorphic.
 */
import {z} from "zod";

/** Out-of-distribution statistics (../model/ood.ts). */
export const oodStatsSchema = z
  .object({
    minConfidence: z.number().min(0).max(1),
    centroids: z.array(z.array(z.number()).min(1)).min(1),
    // JSON has no Infinity: a class without training samples is written as null and read back as Infinity.
    maxDistance: z.array(
      z
        .number()
        .min(0)
        .nullable()
        .transform((v) => v ?? Infinity)
    ),
    percentile: z.number().min(0).max(100),
    samples: z.number().int().min(0)
  })
  .loose()
  .superRefine((ood, ctx) => {
    if (ood.maxDistance.length !== ood.centroids.length) {
      ctx.addIssue({
        code: "custom",
        path: ["maxDistance"],
        message: `has ${ood.maxDistance.length} entries but there are ${ood.centroids.length} centroids`
      });
    }
    const dim = ood.centroids[0].length;
    const bad = ood.centroids.findIndex((c) => c.length !== dim);
    if (bad >= 0) {
      ctx.addIssue({
        code: "custom",
        path: ["centroids", bad],
        message: `has ${ood.centroids[bad].length} values but centroid 0 has ${dim}`
      });
    }
  });

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
    metrics: z.record(z.string(), z.unknown()).optional(),
    ood: oodStatsSchema.optional()
  })
  .loose()
  .superRefine((m, ctx) => {
    if (m.ood && m.ood.centroids.length !== m.classNames.length) {
      ctx.addIssue({
        code: "custom",
        path: ["ood", "centroids"],
        message: `has ${m.ood.centroids.length} centroids but there are ${m.classNames.length} class names`
      });
    }
  });

/**
 * Validates parsed metadata; returns it (with nulls in `ood.maxDistance` read as Infinity) or one
 * line naming the first wrong field, e.g. `field "ood.centroids": expected array, received null`.
 */
export function parseMetadata(value: unknown): {metadata: z.infer<typeof metadataSchema>} | {problem: string} {
  const result = metadataSchema.safeParse(value);
  if (result.success) return {metadata: result.data};
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join(".");
  const message = issue.message.replace(/^Invalid input: /, "");
  return {problem: field ? `field "${field}" ${message.startsWith("has ") ? "" : "is wrong: "}${message}` : message};
}
