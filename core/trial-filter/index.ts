export {
  COMPARE_OPS,
  type CompareOp,
  FIELD_NAMES,
  type FieldKind,
  type FilterField,
  type FilterLiteral,
  filterFields,
  type TrialFilter,
  type TrialOrder,
} from "./ast.js";
export { parseFilterDatetime } from "./datetime.js";
export { TrialFilterError } from "./errors.js";
export {
  compareCodePoints,
  compareFieldValue,
  evaluateTrialFilter,
  type FieldValue,
  fieldValue,
  literalValue,
  matchesTrialFilter,
  OTHER,
  sortTrials,
} from "./evaluate.js";
export { unknownParamsHint } from "./hints.js";
export { parseFilterField, parseTrialFilter } from "./parser.js";
export { printFilterField, printFilterLiteral, printTrialFilter } from "./print.js";
