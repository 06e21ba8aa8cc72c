import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {ignores: ["dist/", "node_modules/", "coverage/", "models/", "runs/"]},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", {fixStyle: "inline-type-imports"}],
      "@typescript-eslint/no-unused-vars": ["error", {ignoreRestSiblings: true, argsIgnorePattern: "^_"}],
      "@typescript-eslint/no-explicit-any": "error"
    }
  },
  {
    files: [
      "src/data/**",
      "src/model/**",
      "src/viz/**",
      "src/embed/**",
      "src/train/tensorboard/{schema,record,histogram}.ts",
      "src/random.ts",
      "src/assert.ts",
      "web/src/**"
    ],
    ignores: [
      "src/data/loadFashionMnist.ts",
      "src/model/io.ts",
      "src/model/runDir.ts",
      "src/model/runOwnership.ts",
      "src/model/metadata.ts",
      "src/model/defaultModel.ts",
      "src/model/kerasH5.ts",
      "src/model/loadAnyModel.ts"
    ],
    rules: {"no-restricted-imports": ["error", {patterns: ["node:*"]}]}
  }
);
