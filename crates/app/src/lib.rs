//! The stsplay browser UI.
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! { <main id="app"><h1 id="title">{"stsplay"}</h1></main> }
}

pub fn start() {
    yew::Renderer::<App>::new().render();
}
