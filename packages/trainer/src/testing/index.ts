export { simulateFullDisk } from './full-disk.js';
export { TinyMlp } from './mlp.js';
