"""The assistant's custom actions, served by rasa-sdk; they read the knowledge base directly."""
