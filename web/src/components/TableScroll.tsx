import { type ReactNode, useEffect, useRef, useState } from 'react';

/**
 * A wide table's horizontal scroller. When the table is wider than the screen the box becomes a
 * named, focusable region, so keyboard users can scroll it with the arrow keys (WCAG 2.1.1,
 * axe `scrollable-region-focusable`); when it fits it stays out of the tab order.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const measure = () => setScrolls(box.scrollWidth > box.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    // A scrolling region must take focus so the keyboard can scroll it.
    <div ref={ref} className="table-scroll" {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': label } : {})}>
      {children}
    </div>
  );
}
