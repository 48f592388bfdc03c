// Class names of the bundled datasets (no Node APIs: a page imports them from `@sundew/data/samples`).

/** Fashion-MNIST's ten classes. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;
