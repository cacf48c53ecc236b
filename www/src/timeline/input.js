// What the user's pointer, wheel, keys and scrolling do to the view state: interaction.js turns
// events into operations (zoom at x, pan by px, hover at x/y), this file applies them and reports
// them (onViewChange, onHover). Returns the operations the API shares (userView, setHover).
import { attachInteraction } from './interaction.js';
import { pickOp } from './hit-test.js';
import { describeOp, hoverInfo } from './describe.js';
import { showTooltip, hideTooltip } from './hover.js';
import { fullView, zoomView, panView, sameView } from './scales.js';
import { HEADER_HEIGHT_PX } from './layout.js';

export function attachInput(surface, s, painter, options) {
  const { root, stage, container, tooltip } = surface;

  function setHover(next, pointer) {
    const same = (next === null && s.hover === null) || (next && s.hover && next.run === s.hover.run && next.row === s.hover.row);
    if (next && pointer) {
      if (!same) s.tooltipDesc = describeOp(s.runs[next.run], next.run, next.row, { runLabel: s.runs.length > 1 ? s.runs[next.run].label : '' });
      showTooltip(tooltip, s.tooltipDesc, pointer.x, pointer.y, s.widthPx, s.heightPx, s.palette);
    } else if (!next) {
      hideTooltip(tooltip);
    }
    if (same) return;
    s.hover = next;
    s.highlight = s.highlightOf(next);
    painter.schedule();
    options.onHover?.(next ? hoverInfo(s.runs[next.run], next.run, next.row) : null);
  }

  /** A window the user chose; reported with {full: true} when it shows the whole run. */
  function userView(next) {
    if (sameView(next, s.view)) return;
    s.view = next;
    s.viewPinned = true;
    if (s.hover) setHover(null);
    painter.schedule();
    options.onViewChange?.({ t0: s.view.t0, t1: s.view.t1 }, { full: s.isFull() });
  }

  function zoomAt(xPx, factor) {
    if (!s.runs.length) return;
    userView(zoomView(s.view, s.timeAtPx(xPx), factor, s.extent, s.minSpan));
  }

  function reset() {
    if (!s.runs.length) return;
    userView(fullView(s.extent));
    s.viewPinned = false;
  }

  const detach = attachInteraction(stage, container, {
    local: surface.local,
    plotWidthPx: () => s.plotX1() - s.plotX0(),
    zoomAt,
    panPx(dxPx) {
      if (!s.runs.length) return;
      userView(panView(s.view, dxPx / s.pxPerTime(), s.extent, s.minSpan));
    },
    reset,
    scrollBy(dyPx) {
      root.scrollTop += dyPx;
    },
    hover(x, y) {
      if (s.dragging || !s.runs.length || y < HEADER_HEIGHT_PX) {
        setHover(null);
        return;
      }
      const hit = pickOp(s.runs, s.layout, s.view, s.plotX0(), s.plotX1(), x, y - HEADER_HEIGHT_PX + s.scrollTopPx);
      setHover(hit, { x, y });
    },
    leave() {
      setHover(null);
    },
    setDragging(on) {
      s.dragging = on;
      stage.style.cursor = on ? 'grabbing' : '';
      if (on) setHover(null);
    },
  });

  const onScroll = () => {
    s.scrollTopPx = root.scrollTop;
    if (s.hover) setHover(null);
    painter.schedule();
  };
  root.addEventListener('scroll', onScroll);

  return {
    setHover,
    userView,
    zoomAt,
    reset,
    detach() {
      detach();
      root.removeEventListener('scroll', onScroll);
    },
  };
}
