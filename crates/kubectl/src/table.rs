//! Elastic-tabstop text alignment as kubectl does it: Go's `text/tabwriter`, in the
//! `github.com/liggitt/tabwriter` fork that adds `RememberWidths` (column widths survive a
//! flush, so `get -w` rows stay aligned with the header and grow when a wider cell appears).
//!
//! Semantics reproduced (not the code): text is split into cells at `\t`; a line ends at `\n`;
//! the last cell of a line (not tab-terminated) belongs to no column. A *column block* is a run
//! of consecutive lines that all have a cell in that column; its width is
//! `max(minwidth, widest cell + padding)`. A line with a single cell flushes the buffer.
//! kubectl's tables use minwidth 6, padding 3 (cli-runtime `pkg/printers/tabwriter.go`);
//! `describe` uses minwidth 0, padding 2 (kubectl `pkg/describe/describe.go` `tabbedString`).

#[derive(Debug, Clone, Default)]
struct Cell {
    text: String,
    width: usize,
}

/// A tab writer that accumulates output into a `String`.
#[derive(Debug, Clone)]
pub struct TabWriter {
    minwidth: usize,
    padding: usize,
    remember: bool,
    maxwidths: Vec<usize>,
    lines: Vec<Vec<Cell>>,
    cell: String,
    widths: Vec<usize>,
    out: String,
}

impl TabWriter {
    pub fn new(minwidth: usize, padding: usize, remember: bool) -> Self {
        TabWriter {
            minwidth,
            padding,
            remember,
            maxwidths: Vec::new(),
            lines: vec![Vec::new()],
            cell: String::new(),
            widths: Vec::new(),
            out: String::new(),
        }
    }

    /// kubectl's table writer: minwidth 6, padding 3, remembered widths.
    pub fn kubectl_table() -> Self {
        Self::new(6, 3, true)
    }

    /// describe's writer: minwidth 0, padding 2.
    pub fn describe() -> Self {
        Self::new(0, 2, false)
    }

    fn terminate_cell(&mut self) -> usize {
        let text = std::mem::take(&mut self.cell);
        let width = text.chars().count();
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let Some(line) = self.lines.last_mut() else {
            return 0;
        };
        line.push(Cell { text, width });
        line.len()
    }

    pub fn write(&mut self, text: &str) {
        for ch in text.chars() {
            match ch {
                '\t' => {
                    self.terminate_cell();
                }
                '\n' => {
                    let n = self.terminate_cell();
                    self.lines.push(Vec::new());
                    if n == 1 {
                        self.flush();
                    }
                }
                c => self.cell.push(c),
            }
        }
    }

    /// Format everything buffered (keeps remembered widths).
    pub fn flush(&mut self) {
        if !self.cell.is_empty() {
            self.terminate_cell();
        }
        let n = self.lines.len();
        self.format(0, n);
        self.lines = vec![Vec::new()];
        self.widths.clear();
    }

    /// Flush and take the text written so far.
    pub fn take(&mut self) -> String {
        self.flush();
        std::mem::take(&mut self.out)
    }

    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            let Some(line) = self.lines.get(i) else {
                continue;
            };
            let mut s = String::new();
            for (j, c) in line.iter().enumerate() {
                s.push_str(&c.text);
                if let Some(&w) = self.widths.get(j) {
                    for _ in c.width..w {
                        s.push(' ');
                    }
                }
            }
            self.out.push_str(&s);
            // Go writes a newline after every buffered line except the last (unterminated) one.
            if i + 1 != self.lines.len() {
                self.out.push('\n');
            }
        }
    }

    fn format(&mut self, mut line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            let len = self.lines.get(this).map_or(0, Vec::len);
            if column + 1 >= len {
                this += 1;
                continue;
            }
            self.write_lines(line0, this);
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 {
                let Some(line) = self.lines.get(this) else {
                    break;
                };
                if column + 1 >= line.len() {
                    break;
                }
                if let Some(c) = line.get(column) {
                    width = width.max(c.width + self.padding);
                }
                this += 1;
            }
            if self.remember {
                if self.maxwidths.len() < self.widths.len() {
                    let from = self.maxwidths.len();
                    self.maxwidths
                        .extend(self.widths.iter().skip(from).copied());
                }
                match self.maxwidths.get(column).copied() {
                    None => self.maxwidths.push(width),
                    Some(m) if m > width => width = m,
                    Some(_) => {
                        if let Some(m) = self.maxwidths.get_mut(column) {
                            *m = width;
                        }
                    }
                }
            }
            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }
}

/// Render rows of cells as a kubectl table (one-shot, no remembered widths needed).
pub fn render(rows: &[Vec<String>]) -> String {
    let mut w = TabWriter::kubectl_table();
    for r in rows {
        w.write(&r.join("\t"));
        w.write("\n");
    }
    w.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_get_pods_layout() {
        let rows = vec![
            vec![
                "NAME".into(),
                "READY".into(),
                "STATUS".into(),
                "RESTARTS".into(),
                "AGE".into(),
            ],
            vec![
                "nginx-with-init-container-0".into(),
                "1/1".into(),
                "Running".into(),
                "0".into(),
                "2m10s".into(),
            ],
        ];
        assert_eq!(
            render(&rows),
            "NAME                          READY   STATUS    RESTARTS   AGE\n\
             nginx-with-init-container-0   1/1     Running   0          2m10s\n"
        );
    }

    #[test]
    fn min_width_six() {
        assert_eq!(render(&[vec!["A".into(), "B".into()]]), "A     B\n");
    }

    #[test]
    fn watch_widths_are_remembered_and_grow() {
        // seed-walkthrough §2: the STATUS column grows when Init:0/1, then PodInitializing, appears.
        let mut w = TabWriter::kubectl_table();
        w.write("NAME\tREADY\tSTATUS\tRESTARTS\tAGE\n");
        w.write("nginx-with-init-container-0\t0/1\tPending\t0\t1s\n");
        w.flush();
        w.write("nginx-with-init-container-0\t0/1\tInit:0/1\t0\t3s\n");
        w.flush();
        w.write("nginx-with-init-container-0\t0/1\tPodInitializing\t0\t15s\n");
        w.flush();
        w.write("nginx-with-init-container-0\t1/1\tRunning\t0\t16s\n");
        assert_eq!(
            w.take(),
            "NAME                          READY   STATUS    RESTARTS   AGE\n\
             nginx-with-init-container-0   0/1     Pending   0          1s\n\
             nginx-with-init-container-0   0/1     Init:0/1   0          3s\n\
             nginx-with-init-container-0   0/1     PodInitializing   0          15s\n\
             nginx-with-init-container-0   1/1     Running           0          16s\n"
        );
    }

    #[test]
    fn column_blocks_end_at_a_line_without_that_column() {
        let mut w = TabWriter::describe();
        w.write("Name:\tx\nLabels:\ta=b\n\tc=d\nIP:\t1\nsingle line\nLonger label:\tv\n");
        assert_eq!(
            w.take(),
            "Name:    x\nLabels:  a=b\n         c=d\nIP:      1\nsingle line\nLonger label:  v\n"
        );
    }
}
