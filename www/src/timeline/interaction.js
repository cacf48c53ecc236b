// Turns pointer, wheel and key events into view operations. Perfetto's keys: W/S zoom in/out,
// A/D pan, while the chart has focus; the wheel zooms around the cursor (horizontal wheel or
// trackpad swipes pan, Shift+wheel scrolls the device rows); drag pans; double-click resets.
// On a touch screen two fingers pinch-zoom around their midpoint; a vertical swipe is left to
// the browser (the stage is touch-action: pan-y), so it scrolls the page.
// Everything here is event plumbing: the maths is in scales.js.

const WHEEL_ZOOM_PER_PX = 0.0015;
const KEY_ZOOM_FACTOR = 0.8;
const KEY_PAN_FRACTION = 0.15;
const DRAG_THRESHOLD_PX = 3;

/**
 * target: element receiving pointer and wheel events (the chart's stage).
 * keyTarget: focusable element receiving key events (the container).
 * h: {local(event) -> {x, y}, plotWidthPx(), zoomAt(xPx, factor), panPx(dxPx), reset(),
 *     scrollBy(dyPx), hover(x, y), leave(), setDragging(bool)}
 * Returns detach().
 */
export function attachInteraction(target, keyTarget, h) {
  let drag = null;
  let lastPointer = null;
  const down = new Map(); // pointerId -> {x, y}: the fingers (or the mouse) currently pressed
  let pinch = null;       // {dist, midX} of the last two-finger step

  const twoFingers = () => {
    const [a, b] = [...down.values()];
    return { dist: Math.hypot(a.x - b.x, a.y - b.y), midX: (a.x + b.x) / 2 };
  };

  const onWheel = (e) => {
    e.preventDefault();
    const scaleMode = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    const dx = e.deltaX * scaleMode;
    const dy = e.deltaY * scaleMode;
    if (e.shiftKey && !e.ctrlKey) {
      h.scrollBy(dy || dx);
      return;
    }
    if (Math.abs(dx) > Math.abs(dy)) {
      h.panPx(dx);
      return;
    }
    const p = h.local(e);
    // Pinch gestures arrive as ctrl+wheel with small deltas; make them as fast as a mouse wheel.
    h.zoomAt(p.x, Math.exp(dy * WHEEL_ZOOM_PER_PX * (e.ctrlKey ? 6 : 1)));
  };

  const onPointerDown = (e) => {
    if (e.button !== 0) return;
    const p = h.local(e);
    down.set(e.pointerId, p);
    if (down.size === 2) {
      // A second finger turns the drag into a pinch.
      if (drag?.moved) h.setDragging(false);
      drag = null;
      pinch = twoFingers();
      for (const id of down.keys()) target.setPointerCapture?.(id);
      h.leave();
      return;
    }
    if (down.size > 2) return;
    drag = { id: e.pointerId, x: p.x, startX: p.x, moved: false };
  };
  const onPointerMove = (e) => {
    const p = h.local(e);
    lastPointer = p;
    if (down.has(e.pointerId)) down.set(e.pointerId, p);
    if (pinch && down.size === 2) {
      const next = twoFingers();
      if (next.dist > 0 && pinch.dist > 0) h.zoomAt(pinch.midX, pinch.dist / next.dist);
      h.panPx(pinch.midX - next.midX);
      pinch = next;
      return;
    }
    if (drag && e.pointerId === drag.id) {
      if (!drag.moved && Math.abs(p.x - drag.startX) >= DRAG_THRESHOLD_PX) {
        drag.moved = true;
        target.setPointerCapture?.(e.pointerId);
        h.setDragging(true);
      }
      if (drag.moved) {
        h.panPx(drag.x - p.x);
        drag.x = p.x;
        return;
      }
    }
    h.hover(p.x, p.y);
  };
  const endDrag = (e) => {
    down.delete(e.pointerId);
    if (pinch && down.size < 2) pinch = null;
    if (!drag || e.pointerId !== drag.id) return;
    if (drag.moved) {
      target.releasePointerCapture?.(e.pointerId);
      h.setDragging(false);
    }
    drag = null;
  };
  const onLeave = () => {
    lastPointer = null;
    if (!drag) h.leave();
  };
  const onDblClick = (e) => {
    e.preventDefault();
    h.reset();
  };
  const onKey = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const w = h.plotWidthPx();
    const anchor = lastPointer ? lastPointer.x : null;
    switch (e.key.toLowerCase()) {
      case 'w': h.zoomAt(anchor, KEY_ZOOM_FACTOR); break;
      case 's': h.zoomAt(anchor, 1 / KEY_ZOOM_FACTOR); break;
      case 'a': h.panPx(-w * KEY_PAN_FRACTION); break;
      case 'd': h.panPx(w * KEY_PAN_FRACTION); break;
      default: return;
    }
    e.preventDefault();
  };

  // One signal detaches every listener: the returned function cannot forget one.
  const listening = new AbortController();
  const on = (el, type, fn, options = {}) => el.addEventListener(type, fn, { ...options, signal: listening.signal });
  on(target, 'wheel', onWheel, { passive: false });
  on(target, 'pointerdown', onPointerDown);
  on(target, 'pointermove', onPointerMove);
  on(target, 'pointerup', endDrag);
  on(target, 'pointercancel', endDrag);
  on(target, 'pointerleave', onLeave);
  on(target, 'dblclick', onDblClick);
  on(keyTarget, 'keydown', onKey);
  return () => listening.abort();
}
