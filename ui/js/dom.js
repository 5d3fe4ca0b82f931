// A tiny element builder. Text is always set through textContent, never parsed as HTML.

/**
 * h('p', {class: 'lead', 'data-x': 1}, 'text', childNode, ...)
 * Attributes whose value is false/null/undefined are left out; `on*` functions become
 * event listeners.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An honest empty state: a picture, a heading and what will appear here. */
export function emptyState(titleId, title, lead, text) {
  return [
    h('h2', { id: titleId }, title),
    h('p', { class: 'lead' }, lead),
    h('div', { class: 'card empty' },
      h('img', { src: 'art/empty-mat.svg', alt: '' }),
      h('p', {}, text)),
  ];
}
