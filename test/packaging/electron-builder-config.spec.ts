/**
 * The packaging configuration (electron-builder.yml): the Electron fuses,
 * the link schemes, the installers for every OS and arch, the icons made
 * from one source, and electron-builder's own schema validation, all without
 * building anything (no download is possible here).
 */
import { expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readYaml } from '../support/yaml.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const configFile = path.join(repoRoot, 'electron-builder.yml');

interface TargetEntry {
  target: string;
  arch: string[];
}
interface BuilderConfig {
  appId: string;
  productName: string;
  artifactName: string;
  files: string[];
  asar: boolean;
  electronFuses: Record<string, boolean>;
  protocols: Array<{ name: string; schemes: string[] }>;
  publish: { provider: string; releaseType: string };
  directories: { buildResources: string; output: string };
  mac: { target: TargetEntry[]; icon: string; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string; extendInfo: Record<string, string> };
  win: { target: TargetEntry[]; icon: string };
  nsis: { artifactName: string; oneClick: boolean; perMachine: boolean; buildUniversalInstaller?: boolean };
  linux: { target: TargetEntry[]; icon: string; executableName: string; maintainer: string };
}

const config = readYaml(configFile) as BuilderConfig;
const targets = (entries: TargetEntry[]) => Object.fromEntries(entries.map((e) => [e.target, [...e.arch].sort()]));

test('flips the fuses: no RunAsNode, NODE_OPTIONS or inspector; only an integrity-checked asar; encrypted cookies; plain file://', () => {
  expect(config.electronFuses).toEqual({
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    enableCookieEncryption: true,
    grantFileProtocolExtraPrivileges: false,
    resetAdHocDarwinSignature: true,
  });
  // onlyLoadAppFromAsar needs an asar to load. (RunAsNode off is safe because the app forks
  // nothing as Node: the demo IVR runs in a utilityProcess, test/main/electron/main.spec.ts.)
  expect(config.asar).toBe(true);
});

test('declares tel:, callto: and sip: (Info.plist URL types on macOS, x-scheme-handler MIME types in the Linux .desktop entry)', () => {
  expect(config.protocols.flatMap((p) => p.schemes).sort()).toEqual(['callto', 'sip', 'tel']);
  for (const protocol of config.protocols) expect(protocol.name).toMatch(/\S/);
});

test('builds NSIS on Windows, DMG and zip on macOS, AppImage, deb and rpm on Linux, each for x64 and arm64', () => {
  expect(targets(config.win.target)).toEqual({ nsis: ['arm64', 'x64'] });
  expect(targets(config.mac.target)).toEqual({ dmg: ['arm64', 'x64'], zip: ['arm64', 'x64'] });
  expect(targets(config.linux.target)).toEqual({ AppImage: ['arm64', 'x64'], deb: ['arm64', 'x64'], rpm: ['arm64', 'x64'] });
});

test('names artifacts with version, OS and arch; the universal Windows installer names the archs it holds', () => {
  expect(config.artifactName).toBe('${productName}-${version}-${os}-${arch}.${ext}');
  // One NSIS installer with both archs (electron-updater on Windows cannot pick between per-arch ones).
  expect(config.nsis.buildUniversalInstaller ?? true).toBe(true);
  const named = /-\$\{os\}-([a-z0-9-]+)\.\$\{ext\}$/.exec(config.nsis.artifactName)?.[1]?.split('-').sort();
  expect(named).toEqual(config.win.target.flatMap((t) => t.arch).sort());
  expect(config.nsis.artifactName).toContain('${version}');
});

test('installs per user on Windows', () => {
  expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false });
});

test('macOS: hardened runtime with microphone and camera entitlements, and usage strings for both', () => {
  expect(config.mac.hardenedRuntime).toBe(true);
  expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/microphone/);
  expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/camera/);
  for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
    const plist = readFileSync(path.join(repoRoot, file), 'utf8');
    for (const key of ['com.apple.security.device.audio-input', 'com.apple.security.device.camera', 'com.apple.security.cs.allow-jit']) {
      expect(plist, `${file} ${key}`).toMatch(new RegExp(`<key>${key.replaceAll('.', '\\.')}</key>\\s*<true/>`));
    }
  }
});

test('icons for every OS exist, made from build/icon.svg at the sizes each needs', () => {
  const build = path.join(repoRoot, config.directories.buildResources);
  expect(existsSync(path.join(build, 'icon.svg'))).toBe(true);
  const png = (file: string) => {
    const bytes = readFileSync(file);
    expect(bytes.subarray(1, 4).toString('latin1'), file).toBe('PNG');
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  };
  expect(png(path.join(build, 'icon.png'))).toEqual({ width: 1024, height: 1024 });
  for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
    expect(png(path.join(repoRoot, config.linux.icon, `${size}x${size}.png`))).toEqual({ width: size, height: size });
  }
  const ico = readFileSync(path.join(repoRoot, config.win.icon));
  expect(ico.readUInt16LE(2)).toBe(1);
  const icoSizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
  expect(icoSizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  const icns = readFileSync(path.join(repoRoot, config.mac.icon));
  expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
  expect(icns.readUInt32BE(4)).toBe(icns.length);
  const types: string[] = [];
  for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) types.push(icns.subarray(at, at + 4).toString('latin1'));
  expect(types).toEqual(expect.arrayContaining(['icp4', 'icp5', 'ic07', 'ic08', 'ic09', 'ic10']));
});

test('publishes draft GitHub releases for electron-updater', () => {
  expect(config.publish).toMatchObject({ provider: 'github', releaseType: 'draft' });
});

test('ships only the built app: no sources, source maps or the stand-alone server', () => {
  expect(config.files).toEqual(['dist/**/*', '!dist/**/*.map', '!dist/server/**', 'package.json']);
});

test("passes electron-builder's own schema validation", async () => {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  const builderConfig = require('app-builder-lib/out/util/config/config.js') as {
    getConfig(projectDir: string, configPath: string | null, override: unknown): Promise<unknown>;
    validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(k: string, v: unknown): void }): Promise<void>;
  };
  const logger = { isEnabled: false, add: () => {} };
  const loaded = await builderConfig.getConfig(repoRoot, configFile, null);
  await builderConfig.validateConfiguration(loaded, logger);

  // And it does reject a mistake, so the pass above means something.
  await expect(builderConfig.validateConfiguration({ ...(loaded as object), electronFuses: { runAsNodes: false } }, logger)).rejects.toThrow(
    /configuration\.electronFuses/,
  );
});
