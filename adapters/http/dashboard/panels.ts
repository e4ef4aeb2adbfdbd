import { ValidationError } from '../../../src/core/errors';

/*
 * What the dashboard shows is a list of panels, each a title, a way to draw it and a function
 * that computes its data when the page asks. The page knows the three ways to draw and nothing
 * about any panel, so a feature that comes later (experiments, audits) adds a panel of its own
 * with `registerPanel` and no change to the page.
 */

/** A series over time: `x` holds epoch milliseconds, one value per point of each series. */
export interface LineData {
  x: number[];
  series: { label: string; values: number[] }[];
  /** What each series adds up to over the window (or in all), shown as text beside the chart. */
  totals?: Record<string, number>;
}

/** Categories, each with one value per series (drawn as grouped bars, and as a table). */
export interface BarData {
  labels: string[];
  series: { label: string; values: number[] }[];
}

/** Rows of text and numbers under named columns. */
export interface TableData {
  columns: string[];
  rows: (string | number)[][];
}

interface PanelBase<R extends string, D> {
  /** Unique among the dashboard's panels: lower-case letters, digits and `-`. */
  id: string;
  title: string;
  /** One line under the title saying what is counted and from where. */
  description?: string;
  render: R;
  /** Computed at each refresh of the page; a panel whose data fails shows as unavailable, the rest still show. */
  data: () => Promise<D>;
}

/** A panel drawn as a line chart. */
export type LinePanel = PanelBase<'line', LineData>;
/** A panel drawn as a bar chart (with its numbers as a table). */
export type BarPanel = PanelBase<'bar', BarData>;
/** A panel shown as a table. */
export type TablePanel = PanelBase<'table', TableData>;

/**
 * One panel of the dashboard.
 *
 * ```ts
 * dashboard.registerPanel({ id: 'audits', title: 'Admin actions', render: 'table', data: async () => ({ columns: ['action', 'count'], rows: [['user.erase', 3]] }) });
 * ```
 */
export type Panel = LinePanel | BarPanel | TablePanel;

/** A panel as the page receives it: its data, or `error` when computing it failed. */
export type PanelView =
  | { id: string; title: string; description?: string; render: 'line'; data: LineData }
  | { id: string; title: string; description?: string; render: 'bar'; data: BarData }
  | { id: string; title: string; description?: string; render: 'table'; data: TableData }
  | { id: string; title: string; description?: string; render: Panel['render']; error: string };

const PANEL_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * The dashboard's panels, in the order they were registered.
 *
 * ```ts
 * const panels = new PanelRegistry();
 * panels.register({ id: 'turns', title: 'Turns', render: 'bar', data: async () => ({ labels: ['ok'], series: [{ label: 'turns', values: [3] }] }) });
 * ```
 */
export class PanelRegistry {
  private readonly panels: Panel[] = [];

  /** Adds a panel at the end; returns a function that removes it again. A taken id is refused. */
  register(panel: Panel): () => void {
    if (!PANEL_ID.test(panel.id)) throw new ValidationError('invalid panel', [{ path: ['id'], message: 'panel ids are lower-case letters, digits and -, at most 64' }]);
    if (this.panels.some((p) => p.id === panel.id)) throw new ValidationError('invalid panel', [{ path: ['id'], message: `a panel "${panel.id}" is already registered` }]);
    this.panels.push(panel);
    return () => {
      const i = this.panels.indexOf(panel);
      if (i >= 0) this.panels.splice(i, 1);
    };
  }

  /** The registered panels, in order. */
  list(): readonly Panel[] {
    return [...this.panels];
  }

  /**
   * Every panel with its data, computed side by side. A panel that throws shows as
   * unavailable (`onError` hears why); it never takes the others down.
   */
  async views(onError: (panel: Panel, err: unknown) => void): Promise<PanelView[]> {
    return Promise.all(
      this.panels.map(async (panel): Promise<PanelView> => {
        const head = { id: panel.id, title: panel.title, ...(panel.description !== undefined && { description: panel.description }) };
        try {
          // The union is rebuilt per kind so the data stays tied to its way of drawing.
          if (panel.render === 'line') return { ...head, render: 'line', data: await panel.data() };
          if (panel.render === 'bar') return { ...head, render: 'bar', data: await panel.data() };
          return { ...head, render: 'table', data: await panel.data() };
        } catch (err) {
          onError(panel, err);
          return { ...head, render: panel.render, error: 'this panel is unavailable right now' };
        }
      }),
    );
  }
}
