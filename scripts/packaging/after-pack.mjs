// electron-builder's afterPack hook (electron-builder.yml): runs once the application folder is assembled and
// before any installer is made from it. A native module built for another runtime than the packed Electron stops
// the build here, so no installer holding it can come out (issue 17).
import { describeMismatches, verifyAddons } from './native-abi.mjs';

export default async function afterPack(context) {
  const version = context.packager.config.electronVersion ?? context.packager.info.framework.version;
  const result = verifyAddons(context.appOutDir, version);
  const refusal = describeMismatches(result, context.appOutDir);
  if (refusal) throw new Error(refusal);
  console.log(`  • native modules checked  electron=${version} abi=${result.expected} files=${result.addons.length}`);
}
