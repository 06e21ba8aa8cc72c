/** Location of the shipped model, relative to the package (works from src/ via tsx and from dist/). */
import {fileURLToPath} from "node:url";

export const DEFAULT_MODEL_DIR = fileURLToPath(new URL("../../../models/fashion-cnn", import.meta.url));
