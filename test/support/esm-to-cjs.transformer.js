// NestJS 12 ships as ES modules, and Jest on Node 20 cannot require ES modules. This transformer lets
// swc compile those packages to CommonJS for the test runtime only (the built apps load them natively).
// The one ESM-only construct they use is `import.meta.url`, mostly to build a `require`, which CommonJS
// already has; it is rewritten before swc sees the file.
const { createTransformer } = require('@swc/jest');

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

const swc = createTransformer(swcOptions);

function fromEsm(source) {
  return source
    .replace(/const require = createRequire\(import\.meta\.url\);?/g, '')
    .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href")
    .replace(/import\.meta\.dirname/g, '__dirname')
    .replace(/import\.meta\.filename/g, '__filename');
}

module.exports = {
  swcOptions,
  process(source, path, options) {
    return swc.process(path.includes('/node_modules/') ? fromEsm(source) : source, path, options);
  },
  getCacheKey(source, path, options) {
    return swc.getCacheKey(source, path, options) + (path.includes('/node_modules/') ? ':esm' : '');
  },
};
