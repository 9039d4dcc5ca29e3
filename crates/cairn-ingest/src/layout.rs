use cairn_core::Draft;
pub fn read(_text: &str) -> Draft { todo!() }
