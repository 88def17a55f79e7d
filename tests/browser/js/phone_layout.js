const figures = [...document.querySelectorAll('main svg:has(text)')].map((svg, i) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  let smallest = [Infinity, 0];
  for (const t of svg.querySelectorAll('text')) {
    const box = t.getBoundingClientRect();
    if (box.width === 0) continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (px < smallest[0]) smallest = [px, box.height];
  }
  const title = svg.querySelector('title');
  return [title ? title.textContent : ('svg ' + i), smallest[0], smallest[1]];
});
const width = document.documentElement.clientWidth;
const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
const inside = r => r.left >= -0.5 && r.right <= width + 0.5;
const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
  (e.getAttribute('class') ? '.' + e.getAttribute('class').trim().split(/\s+/).join('.') : '');
const wide = [];
for (const e of document.querySelectorAll('main *')) {
  const r = e.getBoundingClientRect();
  if (r.width === 0 || inside(r)) continue;
  let a = e.parentElement, held = false;
  for (; a && a.tagName !== 'MAIN'; a = a.parentElement) {
    if (scrolls(a) && inside(a.getBoundingClientRect())) { held = true; break; }
  }
  if (!held && !wide.some(w => w[0].contains(e))) {
    wide.push([e, name(e) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' px of ' + width]);
  }
}
for (const e of document.querySelectorAll('main *')) {
  const s = getComputedStyle(e);
  if (['hidden', 'clip'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1) {
    wide.push([e, name(e) + ' cuts off ' + (e.scrollWidth - e.clientWidth) + ' px of its content']);
  }
}
return [figures, wide.map(w => w[1])];
