/** WCAG contrast between two colours given as CSS rgb()/rgba() or #rrggbb. */
export function contrastRatio(first: string, second: string): number {
  const [a, b] = [luminance(first), luminance(second)].sort((x, y) => y - x) as [number, number];
  return (a + 0.05) / (b + 0.05);
}

function channels(colour: string): number[] {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour.trim());
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1]!.slice(i, i + 2), 16));
  return colour.match(/[\d.]+/g)!.slice(0, 3).map(Number);
}

/** WCAG relative luminance. */
function luminance(colour: string): number {
  const [r, g, b] = channels(colour).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
