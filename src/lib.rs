//! Lantern: a static site generator for multilingual public-awareness sites.
//!
//! The build is a pipeline of stages, each a module with a narrow interface:
//! [`load`] (files to documents) -> [`model`] (routes, sections, translations) ->
//! [`render`] ([`markdown`], then [`templates`]) -> [`output`] (atomic write).
//! [`build::build`] runs them in order. See ARCHITECTURE.md.

pub mod build;
pub mod check;
pub mod config;
pub mod data;
pub mod dates;
pub mod diagnostics;
pub mod i18n;
pub mod images;
pub mod init;
pub mod load;
pub mod markdown;
pub mod model;
pub mod new;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod settings;
pub mod slug;
pub mod sources;
pub mod templates;
pub mod theme;
pub mod translations;
pub mod urls;
