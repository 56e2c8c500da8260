//! The prose of a page, from its Markdown: blocks of running text (paragraphs, list
//! items, table cells, headings), each piece with its byte offset in the file, so word
//! and sentence rules can point at a line and column. Code is not prose and is left out.

use crate::load::Document;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// One block of running text.
#[derive(Debug, Default)]
pub struct Block {
    pub text: String,
    /// (offset in `text`, offset in the document's text) where each piece starts.
    pub pieces: Vec<(usize, usize)>,
    pub heading: bool,
}

impl Block {
    /// The document offset of a byte offset in `text`.
    pub fn source_offset(&self, at: usize) -> usize {
        match self.pieces.iter().rev().find(|(start, _)| *start <= at) {
            Some((start, src)) => src + (at - start),
            None => 0,
        }
    }
}

/// The page's prose, block by block.
pub fn blocks(doc: &Document) -> Vec<Block> {
    let body = doc.body();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM;
    let mut blocks = Vec::new();
    let mut current = Block::default();
    let mut in_code = 0usize;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) => {
                finish(&mut blocks, &mut current);
                current.heading = true;
            }
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell)
            | Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::Heading(_),
            ) => finish(&mut blocks, &mut current),
            Event::Text(t) if in_code == 0 => {
                // Offsets within a piece are exact where the text is the source as
                // written (no escapes or entities), which is the common case.
                current
                    .pieces
                    .push((current.text.len(), doc.body_start + range.start));
                current.text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => current.text.push(' '),
            _ => {}
        }
    }
    finish(&mut blocks, &mut current);
    blocks
}

fn finish(blocks: &mut Vec<Block>, current: &mut Block) {
    let block = std::mem::take(current);
    if !block.text.trim().is_empty() {
        blocks.push(block);
    }
}
