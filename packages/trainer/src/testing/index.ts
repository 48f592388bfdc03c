export { TinyMlp } from './mlp.js';
