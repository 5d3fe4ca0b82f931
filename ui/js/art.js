// Exercise pictures: our own SVG files (ui/art/exercises), inlined so the page's CSS can
// colour them for light and dark mode and animate flowing exercises. They hold no text,
// ids, styles or scripts (checked when they are drawn); user text never goes this way.

const cache = new Map();

function load(name) {
  if (!cache.has(name)) {
    cache.set(name, fetch(`art/exercises/${name}.svg`)
      .then((response) => (response.ok ? response.text() : Promise.reject(new Error(response.statusText))))
      .then((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        const svg = doc.documentElement;
        if (svg.nodeName !== 'svg') throw new Error('not an SVG');
        return svg;
      })
      .catch(() => null));
  }
  return cache.get(name);
}

/**
 * Fills `container` with picture `name` (once: calling again with the same name keeps the
 * element, so an animation is not restarted). `label` describes it for screen readers.
 */
export async function show(container, name, label) {
  if (!name || container.dataset.art === name) return;
  container.dataset.art = name;
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', label);
  const svg = await load(name);
  if (container.dataset.art !== name) return; // another picture was asked for meanwhile
  if (svg) {
    const copy = document.importNode(svg, true);
    copy.setAttribute('aria-hidden', 'true');
    copy.setAttribute('focusable', 'false');
    container.replaceChildren(copy);
  } else {
    const img = document.createElement('img');
    img.src = `art/exercises/${name}.svg`;
    img.alt = '';
    container.replaceChildren(img);
  }
}
