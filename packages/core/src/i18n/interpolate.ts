/**
 * Fills `{name}` placeholders; an unknown name stays visible rather than vanishing.
 * Kept apart from the catalogues so a browser script can use it without shipping them.
 * @example interpolate('Unlock — {price}', { price: '€1.99' }) // "Unlock — €1.99"
 */
export function interpolate(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}
