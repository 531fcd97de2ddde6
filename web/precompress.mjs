// trunk post_build hook (Trunk.toml): next to every text and wasm file of a release build,
// write NAME.gz (gzip -9) and NAME.br (brotli 11), so `cargo xtask serve` and a static host
// can send the precompressed bytes to browsers that accept them (see README, "Hosting").
// Node's built-in zlib only: nothing to install.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir || process.env.TRUNK_PROFILE !== "release") process.exit(0);
const compressible = /\.(wasm|js|mjs|css|html|svg|json|txt)$/;
for (const name of readdirSync(dir)) {
  const path = join(dir, name);
  if (!compressible.test(name) || !statSync(path).isFile()) continue;
  const raw = readFileSync(path);
  writeFileSync(path + ".gz", gzipSync(raw, { level: 9 }));
  writeFileSync(
    path + ".br",
    brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
  );
}
