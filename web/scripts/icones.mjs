// Renders the application icon (icons/coop.svg) to the PNG files the web manifest lists
// (public/icons/icon-192.png, icon-512.png), with the Debian chromium used by the browser tests.
// Run after changing the SVG: `node scripts/icones.mjs` in web/; the PNGs are committed.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const web = fileURLToPath(new URL("..", import.meta.url));
const svg = readFileSync(`${web}icons/coop.svg`, "utf8");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(
      `<!doctype html><html><body style="margin:0">${svg.replace('width="512" height="512"', `width="${size}" height="${size}"`)}</body></html>`
    );
    await page.locator("svg").screenshot({ path: `${web}public/icons/icon-${size}.png`, omitBackground: false });
    await page.close();
  }
} finally {
  await browser.close();
}
console.log("public/icons/icon-192.png, public/icons/icon-512.png");
