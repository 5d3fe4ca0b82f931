// The window's copy of the agent's state: the last snapshots, nothing of its own.
// Views never write it; they send commands and wait for the agent's next snapshot.

export class Store extends EventTarget {
  constructor() {
    super();
    this.state = {
      connected: false,
      message: null,
      status: null,
      settings: null,
      catalog: null,
      history: null,
      /** The agent's lists of allowed values (views, areas, lengths…). */
      vocabulary: null,
      /** The running agent is another version: offer to restart it. */
      updated: false,
      view: 'session',
    };
  }

  update(patch) {
    this.state = { ...this.state, ...patch };
    this.dispatchEvent(new CustomEvent('change', { detail: patch }));
  }
}
