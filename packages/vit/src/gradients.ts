// tfjs-core alone registers no gradients in Node (SPEC, "What we measured"):
// `@tensorflow/tfjs` registers every kernel's gradient when it is imported, so
// importing this package always makes `tf.variableGrads` work.
import '@tensorflow/tfjs';
