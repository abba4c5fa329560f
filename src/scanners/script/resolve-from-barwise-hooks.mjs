// Resolve hook for resolve-from-barwise.mjs (runs on the loader thread).
const BARWISE = new URL('../../../package.json', import.meta.url).href;

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    const bare = !/^(\.|\/|[a-z]+:)/i.test(specifier);
    if (!bare || err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    return next(specifier, { ...context, parentURL: BARWISE });
  }
}
