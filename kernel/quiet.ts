/**
 * Output that says nothing to a notebook user and is kept out of cells: the
 * TensorFlow.js CPU backend's banner suggesting tfjs-node (its native addon is not
 * used here; the pure-JS backend is on purpose).
 */
const NOISE = [/Hi,? looks like you are running TensorFlow\.js in Node\.js/];

export function isNoise(text: string): boolean {
  return NOISE.some((pattern) => pattern.test(text));
}
