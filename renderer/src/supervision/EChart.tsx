import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkAreaComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useImperativeHandle, useRef } from 'react';
import type { Ref } from 'react';

// Only the charts and parts the desk draws: a third of the size of the whole library, all bundled (no network).
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, MarkAreaComponent, TooltipComponent, CanvasRenderer]);

/** The font the page's Chinese is set in (styles.css), bundled with the app. */
const CHART_FONT = "'Noto Sans SC Bundled', sans-serif";

export interface EChartHandle {
  /** The chart as a PNG data URL, on a white background, for a report. */
  png: () => string | null;
}

interface EChartProps {
  option: EChartsCoreOption;
  height?: number;
  testId: string;
  ref?: Ref<EChartHandle>;
}

/** One ECharts instance per element: made on mount, given each new option whole, resized with the window, disposed on unmount. */
export function EChart({ option, height = 260, testId, ref }: EChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const instance = echarts.init(element.current);
    chart.current = instance;
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    let current = true;
    const draw = () => { if (current) chart.current?.setOption({ textStyle: { fontFamily: CHART_FONT }, ...option }, { notMerge: true }); };
    draw();
    // A canvas does not redraw when a web font arrives: draw again once the bundled CJK font is loaded,
    // or the labels stay the boxes of a machine without a Chinese font.
    document.fonts.load(`12px ${CHART_FONT}`).then(draw, () => undefined);
    return () => { current = false; };
  }, [option]);

  useImperativeHandle(ref, () => ({ png: () => chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }) ?? null }), []);

  return <div ref={element} data-testid={testId} style={{ width: '100%', height }} />;
}
