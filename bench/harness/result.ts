/** What a scenario hands back: tables for the report, checks against targets, chart panels. */

export interface Table {
  caption?: string;
  columns: string[];
  /** Formatted cells, one array per row. */
  rows: string[][];
}

/** A measured figure held against a target. */
export interface Check {
  name: string;
  measured: string;
  target: string;
  pass: boolean;
}

export interface ChartBar {
  label: string;
  value: number;
  /** Text printed after the bar; the value when omitted. */
  text?: string;
  /** Drawn in the accent colour (glasswork's bars). */
  highlight?: boolean;
}

/** One group of horizontal bars sharing a unit, with an optional target line. */
export interface ChartPanel {
  title: string;
  bars: ChartBar[];
  target?: { value: number; label: string };
  /** A reference line (e.g. 1.0 for ratio panels). */
  reference?: { value: number; label: string };
}

export interface ScenarioOutput {
  /** Markdown: what runs, how it is measured, the configuration of every library. */
  method: string;
  tables: Table[];
  checks?: Check[];
  panels?: ChartPanel[];
  notes?: string[];
}

export interface ScenarioResult extends ScenarioOutput {
  id: string;
  title: string;
  seconds: number;
  error?: string;
}

/** `pass` or `FAIL`, for table cells. */
export const verdict = (pass: boolean) => (pass ? 'pass' : 'FAIL');
