import { show, ValueError } from "./errors.js";
import type { StudyDirection } from "./records.js";

/** The directions of a new study from `direction` or `directions` (exactly one of them), each checked. */
export function studyDirections(direction: unknown, directions: unknown): StudyDirection[] {
  if (direction !== undefined && directions !== undefined) {
    throw new ValueError(
      `Give direction (one objective) or directions (one per objective), not both; got direction ${show(direction)} and directions ${show(directions)}.`,
    );
  }
  if (directions === undefined) {
    if (direction !== "minimize" && direction !== "maximize")
      throw new ValueError(`direction must be "minimize" or "maximize", got ${show(direction)}.`);
    return [direction];
  }
  if (!Array.isArray(directions) || directions.length === 0) {
    throw new ValueError(`directions must be a non-empty array like ["maximize", "minimize"], got ${show(directions)}.`);
  }
  directions.forEach((d, i) => {
    if (d !== "minimize" && d !== "maximize") throw new ValueError(`directions[${i}] must be "minimize" or "maximize", got ${show(d)}.`);
  });
  return [...directions];
}
