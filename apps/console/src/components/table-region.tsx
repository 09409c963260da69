import type { ComponentChildren } from 'preact';

/**
 * A wide table in a box that scrolls sideways on a phone. The box takes the keyboard's focus so that it
 * can be scrolled without a mouse, and is named so that a screen reader says what it holds.
 */
export function TableRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
