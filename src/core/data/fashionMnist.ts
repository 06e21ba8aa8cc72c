/**
 * Fashion-MNIST constants (Xiao, Rasul & Vollgraf 2017, github.com/zalandoresearch/fashion-mnist).
 * Isomorphic: no Node APIs here, so the web app can share it.
 */

/** Class names in label order, as in the dataset's README. */
export const CLASS_NAMES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot"
] as const;

export const NUM_CLASSES = 10;
export const IMAGE_SIZE = 28;
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;

export type SplitName = "train" | "test";

export interface DatasetFile {
  /** File name of the gzipped IDX file. */
  file: string;
  /** SHA-256 of the gunzipped bytes (computed from Debian's dataset-fashion-mnist; equal to the official files). */
  sha256: string;
  /** Number of bytes once gunzipped. */
  bytes: number;
}

export const DATASET_FILES: Record<SplitName, {images: DatasetFile; labels: DatasetFile; count: number}> = {
  train: {
    count: 60000,
    images: {
      file: "train-images-idx3-ubyte.gz",
      sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
      bytes: 47040016
    },
    labels: {
      file: "train-labels-idx1-ubyte.gz",
      sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
      bytes: 60008
    }
  },
  test: {
    count: 10000,
    images: {
      file: "t10k-images-idx3-ubyte.gz",
      sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
      bytes: 7840016
    },
    labels: {
      file: "t10k-labels-idx1-ubyte.gz",
      sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
      bytes: 10008
    }
  }
};

/** One split of the dataset in memory: raw bytes, as in the files. */
export interface FashionMnistSplit {
  /** `count * 784` pixel bytes, 0 (background) to 255, row-major 28x28 per image. */
  images: Uint8Array;
  /** `count` labels, 0..9. */
  labels: Uint8Array;
  count: number;
}
