import type { ReactNode } from 'react';

/**
 * A table that, wider than the screen, scrolls inside its own box instead of widening the page (issue
 * 18: a phone's subscribers page was 402 px wide); the box is focusable so a keyboard can scroll it.
 */
export function TableBox({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    // A group, not a landmark: the page's own section already carries the heading's name.
    // biome-ignore lint/a11y/useSemanticElements: a fieldset is for form controls, this box holds a table
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard (WCAG 2.1.1)
    <div className="table-box" role="group" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
