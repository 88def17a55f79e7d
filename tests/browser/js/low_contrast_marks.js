// What a mark paints: its fill, or, for an outlined mark (fill none), its
// stroke; a mark that paints neither is judged as the colour under it.
const painted = (e, over) => {
  const s = getComputedStyle(e);
  const [paint, opacity] = !clear(s.fill) ? [s.fill, s.fillOpacity]
    : !clear(s.stroke) ? [s.stroke, s.strokeOpacity] : [over, '1'];
  const [r, g, b, a = 1] = paint.match(/[\d.]+/g).map(Number);
  let alpha = a * parseFloat(opacity);
  for (let x = e; x && x.ownerSVGElement !== null; x = x.parentElement) {
    alpha *= parseFloat(getComputedStyle(x).opacity);
    if (x instanceof SVGSVGElement) break;
  }
  const [R, G, B] = over.match(/[\d.]+/g).slice(0, 3).map(Number);
  const mix = (f, u) => Math.round(alpha * f + (1 - alpha) * u);
  return `rgb(${mix(r, R)}, ${mix(g, G)}, ${mix(b, B)})`;
};
return [...document.querySelectorAll('main svg:has(:is(rect, path, circle, polygon) > title)')].map((svg, i) => {
  const low = [...svg.querySelectorAll(':is(rect, path, circle, polygon):has(> title)')].map(m => {
    const below = under(m);
    const fill = painted(m, below);
    return [m.querySelector('title').textContent.trim(), fill + ' on ' + below, ratio(fill, below)];
  }).filter(([, , r]) => r < 3);
  const title = svg.querySelector('title');
  return [title ? title.textContent : ('svg ' + i), low];
});
