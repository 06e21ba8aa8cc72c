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
    files: ["**/*.cjs"],
    languageOptions: {sourceType: "commonjs", globals: {module: "writable", require: "readonly"}}
  },
  {
    // The isomorphic core and the web app: no Node built-ins (the whole import graph is checked by
    // dependency-cruiser, .dependency-cruiser.cjs).
    files: ["src/core/**", "web/src/**"],
    rules: {"no-restricted-imports": ["error", {patterns: ["node:*"]}]}
  }
);
