// Worker threads of the apps under test load their TypeScript sources through this module (named to
// the apps in METERGATE_WORKER_SOURCE_LOADER by integration-setup.ts): Jest's transform reaches only
// the modules Jest itself loads. Compiled as Jest compiles them; @metergate/* resolved by tsconfig's paths.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');
const { register } = require('tsconfig-paths');
const { swcOptions } = require('./esm-to-cjs.transformer');

const root = join(__dirname, '..', '..');
register({ baseUrl: root, paths: require(join(root, 'tsconfig.json')).compilerOptions.paths });

require.extensions['.ts'] = (module, filename) => {
  const source = readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...swcOptions, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};
