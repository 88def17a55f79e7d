return [...document.querySelectorAll('main svg:has(text)')].map((svg, i) => {
  const low = [...svg.querySelectorAll('text')].map(t => {
    const fill = getComputedStyle(t).fill;
    return [t.textContent.trim(), fill + ' on ' + under(t), ratio(fill, under(t))];
  }).filter(([, , r]) => r < 3);
  const title = svg.querySelector('title');
  return [title ? title.textContent : ('svg ' + i), low];
});
