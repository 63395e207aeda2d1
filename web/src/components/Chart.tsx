/**
 * A small ECharts wrapper (tree-shaken: bar, line, heatmap; SVG renderer). ECharts' aria component
 * writes a text description of the data into the chart's aria-label; the page also offers
 * the same numbers as a table.
 */
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, AriaComponent, SVGRenderer]);

export function Chart({ option, label, height = 320 }: { option: echarts.EChartsCoreOption; label: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    chart.current = echarts.init(el.current, undefined, { renderer: 'svg' });
    const ro = new ResizeObserver(() => chart.current?.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true, label: { description: undefined } }, ...option }, true);
    // The aria component sets aria-label on the container; keep a role so it is announced as an image.
    el.current?.setAttribute('role', 'img');
    if (!el.current?.getAttribute('aria-label')) el.current?.setAttribute('aria-label', label);
  }, [option, label]);
  return <div ref={el} className="chart" style={{ height }} />;
}
