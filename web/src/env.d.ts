// Declared by hand rather than with resolveJsonModule: inferring a type from 750 kB of TopoJSON
// would slow every typecheck for no gain.
declare module 'world-atlas/countries-50m.json' {
  import type { feature } from 'topojson-client';

  const topology: Parameters<typeof feature>[0];
  export default topology;
}

// For tools that type-check .ts files without Vue's language service (ESLint's project service);
// vue-tsc resolves the real components and ignores this.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';

  const component: DefineComponent;
  export default component;
}
