import { show } from "../core/errors.js";
import type { TrialOrder } from "../core/trial-filter/ast.js";
import { parseFilterField } from "../core/trial-filter/parser.js";
import { UsageError } from "./args.js";

/**
 * `--sort`'s value: a field as filters name it, then optionally `asc` (the default) or
 * `desc`, e.g. `value`, `"params.lr desc"`, `"duration desc"`.
 */
export function parseSortOption(text: string): TrialOrder {
  const match = /^(.*?)(?:\s+(asc|desc))?\s*$/i.exec(text)!;
  try {
    return { field: parseFilterField(match[1]), direction: (match[2]?.toLowerCase() ?? "asc") as "asc" | "desc" };
  } catch (error) {
    throw new UsageError(
      `--sort takes a field and optionally asc or desc, e.g. "value" or "params.lr desc"; ${show(text)} is not one: ${(error as Error).message}`,
    );
  }
}
