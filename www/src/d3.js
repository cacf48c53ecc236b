// d3 arrives as the vendored classic script (vendor/d3.min.js) because the site has no bundler
// and no CDN; this module hands that global to ES modules so they can `import d3 from '../d3.js'`.
// Throwing here names the missing script instead of failing later on `undefined.scaleLinear`.
const d3 = globalThis.d3;
if (!d3) {
  throw new Error('d3 is not loaded: the page must load vendor/d3.min.js with a classic <script> before its modules');
}
export default d3;
