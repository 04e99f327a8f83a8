/**
 * TensorFlow.js (pure JavaScript cpu backend), imported on first use so that
 * sessions without a neural network never pay for it.
 */
export type Tf = typeof import("@tensorflow/tfjs");

let loading: Promise<Tf> | undefined;

/** The tfjs module on its cpu backend, without its "install tfjs-node" banner. */
export function loadTf(): Promise<Tf> {
  loading ??= (async () => {
    const tf = await import("@tensorflow/tfjs");
    await tf.setBackend("cpu");
    await tf.ready();
    // The cpu backend greets Node users through console.warn on its first tensor,
    // and no flag turns that off: make the first tensor here, with warn muted.
    const warn = console.warn;
    console.warn = () => {};
    try {
      tf.tensor1d([0]).dispose();
    } finally {
      console.warn = warn;
    }
    return tf;
  })();
  return loading;
}
