//! A `kubectl get -w` watch: the printer that turns the apiserver's writes into kubectl's watch
//! lines (kubectl `pkg/cmd/get/get.go` `watch`: the first table, then one row per event, with
//! the table's column widths remembered across events), and the browser's live watches, which
//! stay open in their own pane while the learner types on (the CLI's `get -w` streams until the
//! simulation settles instead; `verbs/get.rs`).

use sim::Cluster;
use sim::store::{Store, Verb, Write, Written};
use sim::time::SimTime;

use crate::objects::{self, Item};
use crate::printers::{self, TableOpts};
use crate::resources::Res;
use crate::table::TabWriter;

/// Most live watches open at once (the oldest closes when another opens).
pub const MAX_LIVE_WATCHES: usize = 4;
/// Most bytes a live watch keeps on screen (older lines scroll away).
pub const MAX_LIVE_TEXT: usize = 32 * 1024;

/// What one watch prints.
#[derive(Debug, Clone)]
pub(crate) struct Watcher {
    res: Res,
    o: TableOpts,
    selector: Vec<objects::Req>,
    names: Vec<String>,
    ns: String,
    all_ns: bool,
    name_only: bool,
    tw: TabWriter,
    header_done: bool,
    text: String,
}

impl Watcher {
    pub(crate) fn new(
        res: Res,
        opts: &TableOpts,
        selector: &[objects::Req],
        names: Vec<String>,
        ns: &str,
        all_ns: bool,
        name_only: bool,
    ) -> Self {
        let mut o = opts.clone();
        if !res.namespaced() {
            o.all_namespaces = false;
        }
        Watcher {
            res,
            o,
            selector: selector.to_vec(),
            names,
            ns: ns.to_string(),
            all_ns,
            name_only,
            tw: TabWriter::kubectl_table(),
            header_done: false,
            text: String::new(),
        }
    }

    fn header(&mut self) {
        if !self.header_done {
            if !self.o.no_headers {
                self.tw
                    .write(&printers::header_cells(self.res, &self.o).join("\t"));
                self.tw.write("\n");
            }
            self.header_done = true;
        }
    }

    /// The table the watch starts with (`ADDED` events of what exists).
    pub(crate) fn initial(&mut self, items: &[Item]) {
        if items.is_empty() {
            return;
        }
        self.header();
        for it in items {
            if self.name_only {
                self.text
                    .push_str(&format!("{}/{}\n", self.res.name_prefix(), it.name));
                continue;
            }
            self.tw.write(&event_cell(&self.o, "ADDED"));
            self.tw
                .write(&printers::row_cells(self.res, &it.row, &self.o).join("\t"));
            self.tw.write("\n");
        }
        self.tw.flush();
    }

    /// One row per write this watch sees; whether any was printed.
    pub(crate) fn feed(&mut self, store: &Store, time: SimTime, writes: &[Write]) -> bool {
        let mut untraced = Vec::new();
        let mut printed = false;
        for w in writes {
            printed |= self.feed_one(store, time, w, &mut untraced);
        }
        printed
    }

    /// The row of one write, if this watch sees it. `untraced`: the objects of this batch
    /// already printed from the store (kinds whose writes carry no copy).
    fn feed_one(
        &mut self,
        store: &Store,
        time: SimTime,
        w: &Write,
        untraced: &mut Vec<(String, String)>,
    ) -> bool {
        let res = self.res;
        if w.resource != res.plural()
            || (res.namespaced() && !self.all_ns && w.namespace != self.ns)
            || (!self.names.is_empty() && !self.names.contains(&w.name))
        {
            return false;
        }
        let row = match w.object.as_ref() {
            Some(Written::Pod(p)) if res == Res::Pod => Some(printers::pod_row(p, time)),
            Some(Written::Pvc(c)) if res == Res::Pvc => Some(printers::pvc_row(c, time)),
            Some(Written::StatefulSet(st)) if res == Res::StatefulSet => {
                Some(printers::statefulset_row(st, time))
            }
            Some(Written::Deployment(d)) if res == Res::Deployment => {
                Some(printers::deployment_row(d, time))
            }
            Some(Written::ReplicaSet(r)) if res == Res::ReplicaSet => {
                Some(printers::replicaset_row(r, time))
            }
            Some(Written::Revision(r)) if res == Res::ControllerRevision => {
                Some(printers::controllerrevision_row(r, time))
            }
            _ => {
                let key = (w.namespace.clone(), w.name.clone());
                if untraced.contains(&key) {
                    None
                } else {
                    untraced.push(key);
                    objects::get(store, res, &w.namespace, &w.name, time).map(|i| i.row)
                }
            }
        };
        let Some(row) = row else { return false };
        if !objects::matches(&self.selector, &row.labels)
            || (w.verb == Verb::Removed && w.object.is_none())
        {
            return false;
        }
        self.header();
        if self.name_only {
            self.text
                .push_str(&format!("{}/{}\n", res.name_prefix(), w.name));
            return true;
        }
        let event = match w.verb {
            Verb::Create => "ADDED",
            Verb::Removed => "DELETED",
            _ => "MODIFIED",
        };
        self.tw.write(&event_cell(&self.o, event));
        self.tw
            .write(&printers::row_cells(res, &row, &self.o).join("\t"));
        self.tw.write("\n");
        self.tw.flush();
        true
    }

    /// What was printed since the last take.
    pub(crate) fn take(&mut self) -> String {
        let mut t = std::mem::take(&mut self.text);
        t.push_str(&self.tw.take());
        t
    }
}

pub(crate) fn event_cell(o: &TableOpts, event: &str) -> String {
    if o.watch_events {
        format!("{event}\t")
    } else {
        String::new()
    }
}

/// A watch that stays open in the browser's watch pane.
#[derive(Debug, Clone)]
pub struct LiveWatch {
    /// 1, 2, … in the order they were opened (`sim watch stop ID`).
    pub id: u32,
    /// The command as typed (`kubectl get pods -w -l app=nginx`).
    pub line: String,
    /// What kubectl has printed so far (the last [`MAX_LIVE_TEXT`] bytes, whole lines).
    pub text: String,
    watcher: Watcher,
}

/// The session's live watches (off in the CLI: there `get -w` streams until settled).
#[derive(Debug, Clone, Default)]
pub(crate) struct LiveWatches {
    pub on: bool,
    pub list: Vec<LiveWatch>,
    next_id: u32,
    /// Changes whenever a watch opens, closes or prints (the page compares it).
    pub version: u64,
}

impl LiveWatches {
    /// Open a watch that has printed `text` so far; returns its id. A watch of the same line
    /// replaces the one open (a script's repeated `get -w` stays one pane).
    pub(crate) fn open(
        &mut self,
        cluster: &mut Cluster,
        line: String,
        w: Watcher,
        text: &str,
    ) -> u32 {
        // The writes so far (this line's among them) belong to the watches already open.
        self.feed(cluster);
        self.list.retain(|x| x.line != line);
        if self.list.len() >= MAX_LIVE_WATCHES {
            self.list.remove(0);
        }
        self.next_id += 1;
        let id = self.next_id;
        let mut lw = LiveWatch {
            id,
            line,
            text: String::new(),
            watcher: w,
        };
        lw.push(text);
        self.list.push(lw);
        self.version += 1;
        cluster.set_write_tap(true);
        id
    }

    /// Close the watch `id`, or the newest; the line closed.
    pub(crate) fn stop(&mut self, cluster: &mut Cluster, id: Option<u32>) -> Option<LiveWatch> {
        let i = match id {
            Some(id) => self.list.iter().position(|w| w.id == id)?,
            None => self.list.len().checked_sub(1)?,
        };
        let w = self.list.remove(i);
        self.version += 1;
        if self.list.is_empty() {
            cluster.set_write_tap(false);
        }
        Some(w)
    }

    /// Give every live watch the writes made since the last feed.
    pub(crate) fn feed(&mut self, cluster: &mut Cluster) {
        if self.list.is_empty() {
            return;
        }
        let writes = cluster.take_tapped_writes();
        if writes.is_empty() {
            return;
        }
        let store = cluster.store();
        for lw in &mut self.list {
            let mut any = false;
            let mut untraced = Vec::new();
            let mut at = None;
            for (time, w) in &writes {
                // The writes of one moment form a batch, as a step's report does.
                if at != Some(*time) {
                    untraced.clear();
                    at = Some(*time);
                }
                any |= lw.watcher.feed_one(store, *time, w, &mut untraced);
            }
            if any {
                let t = lw.watcher.take();
                lw.push(&t);
                self.version += 1;
            }
        }
    }
}

impl LiveWatch {
    fn push(&mut self, t: &str) {
        self.text.push_str(t);
        if self.text.len() > MAX_LIVE_TEXT {
            let cut = self.text.len() - MAX_LIVE_TEXT;
            let cut = self
                .text
                .get(cut..)
                .and_then(|rest| rest.find('\n'))
                .map_or(self.text.len(), |n| cut + n + 1);
            self.text.drain(..cut);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::session::Session;

    fn text(s: &Session) -> String {
        s.live_watches()
            .first()
            .map(|w| w.text.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_live_watch_prints_what_each_line_changes() {
        let mut s = Session::new();
        s.set_live_watches(true);
        // On an empty cluster: nothing to stream; the watch stays open.
        let o = s.run_line("kubectl get pods --watch -l app=nginx");
        assert!(o.ok, "{}", o.combined);
        assert!(
            o.combined
                .contains("hint: in the page this watch stays live"),
            "{}",
            o.combined
        );
        assert_eq!(s.live_watches().len(), 1);
        assert_eq!(
            s.live_watches()[0].line,
            "kubectl get pods --watch -l app=nginx"
        );
        assert_eq!(text(&s), "");
        let v = s.live_watches_version();
        // The apply's writes (the controller creates web-0 at once), then one step at a time.
        s.run_line("kubectl apply -f https://k8s.io/examples/application/web/web.yaml");
        let t = text(&s);
        assert!(t.starts_with("NAME    READY   STATUS    RESTARTS   AGE\nweb-0   0/1     Pending   0          0s\n"), "{t}");
        assert!(s.live_watches_version() > v);
        let mut lines = t.lines().count();
        for _ in 0..40 {
            s.run_line("sim step");
            let n = text(&s).lines().count();
            assert!(n >= lines);
            lines = n;
        }
        let t = text(&s);
        assert!(t.contains("web-0   1/1     Running"), "{t}");
        assert!(t.contains("web-1   0/1     Pending"), "{t}");
        // Only app=nginx pods; never the header twice.
        assert_eq!(t.matches("NAME").count(), 1);
        // Typing other commands keeps it live; reads print nothing.
        s.run_line("kubectl get pvc");
        assert_eq!(text(&s), t);
        // Going back along the timeline is not a change a watch sees.
        s.run_line("sim back 5");
        assert_eq!(text(&s), t);
        s.run_line("sim settle");
        assert!(text(&s).len() > t.len());
        // Several watches; stop the newest, then the other by id.
        s.run_line("kubectl get sts -w");
        assert_eq!(s.live_watches().len(), 2);
        let o = s.run_line("sim watch stop");
        assert!(
            o.stdout.starts_with("stopped watch 2: kubectl get sts -w"),
            "{}",
            o.stdout
        );
        let o = s.run_line("sim watch stop 1");
        assert!(o.ok, "{}", o.combined);
        assert!(s.live_watches().is_empty());
        assert!(!s.run_line("sim watch stop").ok);
        s.run_line("kubectl delete pod web-0");
        assert!(s.live_watches().is_empty());
    }

    #[test]
    fn the_cli_streams_and_opens_nothing() {
        let mut s = Session::new();
        s.run_line("kubectl apply -f https://k8s.io/examples/application/web/web.yaml");
        let o = s.run_line("kubectl get pods -w -l app=nginx");
        assert!(
            o.combined.contains("web-1   1/1     Running"),
            "{}",
            o.combined
        );
        assert!(!o.combined.contains("in the page"));
        assert!(s.live_watches().is_empty());
        // In the page the console shows the same stream, and the pane starts with it.
        let mut p = Session::new();
        p.set_live_watches(true);
        p.run_line("kubectl apply -f https://k8s.io/examples/application/web/web.yaml");
        let q = p.run_line("kubectl get pods -w -l app=nginx");
        assert_eq!(q.stdout, o.stdout);
        assert_eq!(text(&p), o.stdout);
    }

    #[test]
    fn live_watches_are_bounded() {
        let mut s = Session::new();
        s.set_live_watches(true);
        for l in ["pods", "pvc", "sts", "pods -l app=nginx", "pods -A"] {
            s.run_line(&format!("kubectl get {l} -w"));
        }
        assert_eq!(s.live_watches().len(), super::MAX_LIVE_WATCHES);
        // The same line again replaces its pane.
        s.run_line("kubectl get pods -A -w");
        s.run_line("kubectl get pods -A -w");
        assert_eq!(s.live_watches().len(), super::MAX_LIVE_WATCHES);
    }
}
