/**
 * What "a form that fits" means, measured in the page (issue 16, point 4): run inside Chromium by the layout e2e
 * test on each desk screen at each window size. It returns the problems as sentences a person can act on.
 * (It lives beside the e2e tests, not in test/helpers, because its code runs in the page and needs the DOM types.)
 */
import type { Page } from 'playwright-core';

export interface FitOptions {
  /** The form whose fields must all be in the window without scrolling (at the desks' 1366×768). */
  form?: string;
  /** The form's primary (submit) control. */
  primary?: string;
  /** Whether the form and its primary control must be above the fold (1366×768) or only reachable (1024×768). */
  aboveFold: boolean;
}

/** The problems found on the page as it is now (empty when the screen fits). */
export async function layoutProblems(page: Page, options: FitOptions): Promise<string[]> {
  return page.evaluate((o) => {
    const problems: string[] = [];
    const W = window.innerWidth;
    const H = window.innerHeight;
    const main = document.querySelector<HTMLElement>('main.content');
    const scrolled = main?.scrollTop ?? 0;
    const shown = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('.visually-hidden, .skip');
    };
    const name = (el: Element) => {
      const test = el.getAttribute('data-test') ?? el.getAttribute('data-nav') ?? el.id;
      const text = (el.textContent ?? (el as HTMLInputElement).value ?? '').replace(/\s+/g, ' ').trim().slice(0, 50);
      return `<${el.tagName.toLowerCase()}${test ? ` ${test}` : ''}> "${text}"`;
    };
    /** The nearest ancestor that scrolls sideways (a table's own box), if any. */
    const scroller = (el: Element) => {
      for (let p = el.parentElement; p && p !== main; p = p.parentElement) {
        const x = getComputedStyle(p).overflowX;
        if (x === 'auto' || x === 'scroll') return p;
      }
      return null;
    };

    const doc = document.documentElement;
    if (doc.scrollWidth > W) problems.push(`the page is wider than the window (${doc.scrollWidth} > ${W})`);
    if (main && main.scrollWidth > main.clientWidth + 1) {
      problems.push(`the screen scrolls sideways (${main.scrollWidth} > ${main.clientWidth})`);
    }

    // Text cut off by its own box: a button, label, heading or header cell narrower than its words.
    for (const el of document.querySelectorAll('button, label, th, .badge, kbd, legend, h1, h2, .segmented, .sidenav a')) {
      if (!shown(el) || (el as HTMLElement).clientWidth === 0) continue;
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} is cut off (${el.scrollWidth} > ${el.clientWidth})`);
    }
    // Controls outside the window or outside a box that hides its overflow.
    for (const el of document.querySelectorAll('button, input, select, textarea, a.button')) {
      if (!shown(el) || scroller(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right > W + 1 || r.left < -1) problems.push(`${name(el)} is outside the window (${Math.round(r.left)}–${Math.round(r.right)})`);
      const card = el.parentElement?.closest('.card, .modal');
      if (card) {
        const b = card.getBoundingClientRect();
        if (r.right > b.right + 1) problems.push(`${name(el)} sticks out of its card (${Math.round(r.right)} > ${Math.round(b.right)})`);
      }
      for (let p = el.parentElement; p && p !== main; p = p.parentElement) {
        if (getComputedStyle(p).overflowX === 'visible') continue;
        const b = p.getBoundingClientRect();
        if (r.right > b.right + 1 || r.left < b.left - 1) problems.push(`${name(el)} is clipped by its box <${p.className}>`);
        break;
      }
    }
    // Tables no wider than their box, unless the box scrolls them.
    for (const table of document.querySelectorAll('table')) {
      if (!shown(table) || scroller(table)) continue;
      const box = table.parentElement!;
      if (table.getBoundingClientRect().width > box.clientWidth + 1) {
        problems.push(
          `table ${name(table).slice(0, 40)} is wider than its box (${Math.round(table.getBoundingClientRect().width)} > ${box.clientWidth})`,
        );
      }
    }

    if (o.form) {
      const form = document.querySelector(o.form);
      if (!form) problems.push(`the form ${o.form} is not on the screen`);
      const controls = form ? [...form.querySelectorAll('input, select, textarea, button[type="submit"]')].filter(shown) : [];
      const primary = o.primary ? document.querySelector(o.primary) : null;
      if (o.primary && !primary) problems.push(`the primary control ${o.primary} is not on the screen`);
      for (const el of primary ? [...controls, primary] : controls) {
        const r = el.getBoundingClientRect();
        // Where it would be with the screen scrolled to its top: "without scrolling".
        const bottom = r.bottom + scrolled;
        if (r.right > W + 1) problems.push(`${name(el)} is right of the window`);
        if (o.aboveFold && bottom > H + 1) problems.push(`${name(el)} is below the fold (${Math.round(bottom)} > ${H})`);
      }
    }
    return [...new Set(problems)];
  }, options);
}
