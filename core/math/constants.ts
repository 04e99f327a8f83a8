/** log √(2π), the normal density's constant and Stirling's. */
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
