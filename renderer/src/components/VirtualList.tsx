// A windowed list: only the rows in view (plus a few either side) are in the DOM, so thousands of
// jobs or runs scroll smoothly. Rows have one fixed height. Offsets are written through the
// CSSOM (element.style) because the CSP forbids style attributes in markup.
import {
  Fragment,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';

const OVERSCAN = 6;

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  getKey: (item: T) => string;
  renderRow: (item: T, index: number) => ReactNode;
  /** Kept in view: the row the keyboard is on. */
  activeIndex?: number;
  /** Told which rows are visible, e.g. to load the next page. */
  onVisibleRange?: (start: number, end: number) => void;
  /** Attributes for the scrolling element (role, label, keyboard handling). */
  containerProps?: React.HTMLAttributes<HTMLDivElement> & { 'data-testid'?: string };
  className?: string;
}

export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, rowHeight, activeIndex, onVisibleRange } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const spacerRef = useRef<HTMLDivElement>(null);
  const windowRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(600);

  useLayoutEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    setViewportHeight(container.clientHeight || 600);
    const observer = new ResizeObserver(() => setViewportHeight(container.clientHeight || 600));
    observer.observe(container);
    return () => observer.disconnect();
  }, []);

  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const end = Math.min(
    items.length,
    Math.ceil((scrollTop + viewportHeight) / rowHeight) + OVERSCAN,
  );

  useLayoutEffect(() => {
    if (spacerRef.current) spacerRef.current.style.height = `${items.length * rowHeight}px`;
    if (windowRef.current) windowRef.current.style.transform = `translateY(${start * rowHeight}px)`;
  }, [items.length, rowHeight, start]);

  // A shorter list (a narrower search) may leave the scroll position past its end.
  useLayoutEffect(() => {
    const container = containerRef.current;
    if (container && container.scrollTop !== scrollTop) setScrollTop(container.scrollTop);
  }, [items.length, scrollTop]);

  useLayoutEffect(() => {
    const container = containerRef.current;
    if (!container || activeIndex === undefined || activeIndex < 0) return;
    const top = activeIndex * rowHeight;
    if (top < container.scrollTop) container.scrollTop = top;
    else if (top + rowHeight > container.scrollTop + container.clientHeight)
      container.scrollTop = top + rowHeight - container.clientHeight;
  }, [activeIndex, rowHeight]);

  useEffect(() => {
    onVisibleRange?.(start, end);
  }, [start, end, onVisibleRange]);

  const onScroll = useCallback((event: React.UIEvent<HTMLDivElement>) => {
    setScrollTop(event.currentTarget.scrollTop);
  }, []);

  const rows: ReactNode[] = [];
  for (let index = start; index < end; index++) {
    const item = items[index] as T;
    rows.push(<Fragment key={props.getKey(item)}>{props.renderRow(item, index)}</Fragment>);
  }

  return (
    <div
      {...props.containerProps}
      ref={containerRef}
      className={`virtual-list ${props.className ?? ''}`}
      onScroll={onScroll}
    >
      <div ref={spacerRef} className="virtual-spacer" role="presentation">
        <div ref={windowRef} className="virtual-window" role="presentation">
          {rows}
        </div>
      </div>
    </div>
  );
}
