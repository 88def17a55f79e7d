const lum = c => {
  const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
// Paints nothing: no paint, or a colour whose alpha is 0. Only an rgba()
// has an alpha: 'rgb(191, 99, 0)' ends in ', 0)' too, and is orange.
const clear = c => c === 'none' || c === 'transparent' || c.startsWith('url') || /^rgba\([^)]*,\s*0\)$/.test(c);
// The colour painted under a text: the first filled shape or element below
// its middle, else the page's white.
const under = t => {
  t.scrollIntoView({block: 'center'});
  const r = t.getBoundingClientRect();
  for (const e of document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2)) {
    if (e === t || t.contains(e) || e instanceof SVGTextElement || e instanceof SVGTSpanElement) continue;
    const s = getComputedStyle(e);
    if (e instanceof SVGGeometryElement) {
      if (!clear(s.fill) && parseFloat(s.fillOpacity) > 0.5 && parseFloat(s.opacity) > 0.5) return s.fill;
    } else if (!(e instanceof SVGElement) && !clear(s.backgroundColor)) {
      return s.backgroundColor;
    }
  }
  return 'rgb(255, 255, 255)';
};
