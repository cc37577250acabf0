// Charts drawn with Apache ECharts, which loads with the first chart (the search page needs none).
import type { EChartsType } from "echarts/core";

export type Chart = EChartsType;
export type ChartOption = Parameters<EChartsType["setOption"]>[0];

const charts = new Set<Chart>();

/** A chart in `container` (which names what it draws in `data-chart`, for tests and styling). */
export async function chart(container: HTMLElement, option: ChartOption): Promise<Chart> {
  const { echarts } = await import("./echarts-setup");
  await laidOut(container);
  const drawn = echarts.init(container, undefined, { renderer: "canvas" });
  drawn.setOption({ animation: false, ...option }); // drawn at once: what is seen is what is read
  charts.add(drawn);
  return drawn;
}

/** Starts loading ECharts while a view fetches its data. */
export function preloadCharts(): void {
  void import("./echarts-setup");
}

/** Until the container is on the page with a size (a view appends its parts when all have arrived). */
async function laidOut(container: HTMLElement): Promise<void> {
  for (let frame = 0; frame < 600 && !(container.isConnected && container.clientWidth > 0); frame += 1) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

/** Charts of a view that is gone are disposed before the next one draws. */
export function disposeCharts(): void {
  for (const drawn of charts) drawn.dispose();
  charts.clear();
}

window.addEventListener("resize", () => {
  for (const drawn of charts) drawn.resize();
});

export const PALETTE = ["#c23531", "#2f4554", "#61a0a8", "#d48265", "#91c7ae", "#749f83", "#ca8622", "#bda29a", "#6e7074", "#546570", "#c4ccd3"];
