// The layering of DESIGN §2 as a lint rule, so that it holds by `npm run lint` and not by discipline:
// `web`, `cli` → `server` / `app` → `domain` + `store`, with the API contract (`contract`, over the
// domain) shared by everything that talks over the wire: server, CLI and web. Every import of a file under src/ (static,
// `export … from`, dynamic `import()` and `import('…')` types) is resolved to the layer it lands in and
// checked against the table below. A file outside src/ is no layer and may not be imported at all.
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/**
 * Which layers each layer may import, and which packages (`packages` present: only those; absent: any
 * package but what `forbidden` names). The domain may use only pure packages, the browser app only
 * its UI library.
 */
export const layering = {
  layers: {
    domain: {
      layers: [],
      packages: ['zod', 'node:zlib'],
      why: 'the domain is pure logic: it imports no other layer and nothing with I/O',
    },
    contract: {
      layers: ['domain'],
      packages: ['zod'],
      why: 'the API contract is schemas over the domain: it imports the domain and zod only, so the browser can use it',
    },
    store: { layers: ['domain'], why: 'the store imports the domain only' },
    app: { layers: ['domain', 'store'], why: 'use cases import the domain and the store' },
    server: {
      layers: ['app', 'contract', 'domain'],
      why: 'the server reaches the share through use cases (app), answers as the API contract says, with the domain for types and errors',
    },
    cli: {
      layers: ['app', 'contract', 'domain'],
      why: 'the command reaches the share through use cases (app), with the contract for its JSON lines and the domain for types and errors',
    },
    web: {
      layers: ['contract', 'domain'],
      packages: ['preact', 'preact/hooks'],
      why: 'the browser app talks to the HTTP API only; it imports the API contract and pure domain rules, and no Node module',
    },
  },
  /** Imports the table forbids that stay, each named with its reason. `to` is a layer or a file. */
  exceptions: [
    {
      from: 'src/cli/commands/serve.ts',
      to: 'server',
      why: '`packdesk serve` starts the HTTP server (DESIGN §2: cli imports server for serve)',
    },
  ],
};

const builtins = new Set(builtinModules);

/** `src/<layer>/…` → layer; null for a file outside src/ or in no layer folder (src/types). */
function layerOf(relativePath, layers) {
  const [top, layer] = relativePath.split('/');
  return top === 'src' && layer !== undefined && layer in layers ? layer : null;
}

function packageName(specifier) {
  if (specifier.startsWith('node:')) return specifier;
  if (builtins.has(specifier.split('/')[0])) return `node:${specifier}`;
  return specifier;
}

/** The source file an ESM specifier names: `./x.js` is compiled from `./x.ts` or `./x.tsx`. */
function sourceFile(root, file) {
  if (!file.endsWith('.js')) return file;
  const stem = file.slice(0, -'.js'.length);
  return ['.ts', '.tsx'].map((ext) => stem + ext).find((f) => existsSync(path.join(root, f))) ?? file;
}

function excepted(exceptions, from, target) {
  return exceptions.some((e) => e.from === from && (e.to === target.layer || e.to === target.file));
}

const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'keeps the imports of each layer under src/ to the layers DESIGN §2 allows' },
    schema: [{ type: 'object' }],
    messages: {
      layer: '{{from}} ({{fromLayer}}) may not import {{target}}: {{why}} (DESIGN §2).',
      outside: '{{from}} imports {{target}}, which lies outside the layers of src/.',
      unchecked:
        '{{from}} imports a module whose name is not a plain string, so its layer cannot be checked.',
    },
  },
  create(context) {
    const options = context.options[0] ?? layering;
    const root = context.cwd;
    const from = path.relative(root, context.filename).split(path.sep).join('/');
    const fromLayer = layerOf(from, options.layers);
    if (fromLayer === null) return {};
    const allowed = options.layers[fromLayer];

    function check(node, specifier) {
      if (specifier === null) {
        context.report({ node, messageId: 'unchecked', data: { from } });
        return;
      }
      if (specifier.startsWith('.')) {
        const file = sourceFile(
          root,
          path
            .relative(root, path.resolve(path.dirname(context.filename), specifier))
            .split(path.sep)
            .join('/'),
        );
        const layer = layerOf(file, options.layers);
        if (layer === null) {
          context.report({ node, messageId: 'outside', data: { from, target: file } });
          return;
        }
        if (layer === fromLayer || allowed.layers.includes(layer)) return;
        if (excepted(options.exceptions, from, { layer, file })) return;
        context.report({
          node,
          messageId: 'layer',
          data: { from, fromLayer, target: `${file} (${layer})`, why: allowed.why },
        });
        return;
      }
      const name = packageName(specifier);
      if (allowed.packages === undefined || allowed.packages.includes(name)) return;
      context.report({ node, messageId: 'layer', data: { from, fromLayer, target: name, why: allowed.why } });
    }

    /** The module name of an import, or null when it is computed at run time. */
    function literal(source) {
      if (source?.type === 'Literal' && typeof source.value === 'string') return source.value;
      if (source?.type === 'TemplateLiteral' && source.expressions.length === 0) {
        return source.quasis[0].value.cooked;
      }
      return null;
    }

    return {
      ImportDeclaration: (node) => check(node, literal(node.source)),
      ExportNamedDeclaration: (node) => node.source && check(node, literal(node.source)),
      ExportAllDeclaration: (node) => check(node, literal(node.source)),
      ImportExpression: (node) => check(node, literal(node.source)),
      TSImportType: (node) => check(node, literal(node.source ?? node.argument?.literal)),
    };
  },
};

export const layersPlugin = { meta: { name: 'packdesk-layers' }, rules: { imports: importsRule } };
