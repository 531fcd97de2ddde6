//! The list rows that are components of their own, so that a step re-renders only the rows
//! that changed (not 100 pod rows of 11 cells and 5 buttons when one pod moves on, nor 400
//! console entries at each keystroke in the console). One component type for them all: each
//! component type instantiates yew's generic lifecycle (create, props compare, mount, reuse,
//! drop glue) once, bytes the rows would repeat.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::{ClaimRow, PodRow};
use crate::state::Entry;

/// What a row shows.
#[derive(PartialEq)]
pub(crate) enum RowData {
    Pod {
        row: PodRow,
        selected: bool,
    },
    Claim {
        row: ClaimRow,
        selected: bool,
    },
    /// A console entry (rendered again only when Play merges a tick into it).
    Entry(Rc<Entry>),
}

#[derive(Properties, PartialEq)]
pub(crate) struct RowProps {
    pub data: RowData,
}

/// One row; rendered again only when its data changed. A struct component (a function
/// component instantiates yew's hook plumbing, even with no hooks).
pub(crate) struct Row;

impl Component for Row {
    type Message = ();
    type Properties = RowProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Row
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        match &ctx.props().data {
            RowData::Pod { row, selected } => super::pods::pod_tr(row, *selected),
            RowData::Claim { row, selected } => super::pods::claim_tr(row, *selected),
            RowData::Entry(e) => super::console::entry_view(e),
        }
    }
}
